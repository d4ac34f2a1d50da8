SELECT "source"."id" AS "id" FROM "invoices" AS "source" WHERE ("source"."paid_at" >= ? AND "source"."paid_at" < ?) ORDER BY "source"."id" ASC
-- args: ["2024-06-02 00:00:00","2024-06-09 00:00:00"]
