SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE (("source"."paid_at" >= $1) AND ("source"."date_received" < $2))
-- args: ["2023-07-01 00:00:00","2024-01-16"]
