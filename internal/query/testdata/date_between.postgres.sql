SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."paid_at" >= $1 AND "source"."paid_at" < $2)
-- args: ["2023-03-01 00:00:00","2023-04-01 00:00:00"]
