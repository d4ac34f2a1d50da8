SELECT "source"."id" AS "id", "source"."date_received" AS "date_received" FROM "invoices" AS "source" WHERE (("source"."date_received" >= $1 AND "source"."date_received" < $2)) ORDER BY "source"."id" ASC NULLS FIRST
-- args: ["2024-03-01","2024-04-01"]
