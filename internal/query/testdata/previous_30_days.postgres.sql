SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."date_received" >= $1 AND "source"."date_received" < $2)
-- args: ["2024-05-16","2024-06-15"]
