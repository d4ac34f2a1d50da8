SELECT "source"."id" AS "id" FROM "invoices" AS "source" WHERE ("source"."paid_at" >= $1 AND "source"."paid_at" < $2) ORDER BY "source"."id" ASC NULLS FIRST
-- args: ["2024-06-02 00:00:00","2024-06-09 00:00:00"]
