SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE (("source"."paid_at" >= ?) AND ("source"."date_received" < ?))
-- args: ["2023-07-01 00:00:00","2024-01-16"]
