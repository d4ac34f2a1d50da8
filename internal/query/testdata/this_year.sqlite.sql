SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."date_received" >= ? AND "source"."date_received" < ?)
-- args: ["2024-01-01","2025-01-01"]
