SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."paid_at" >= ? AND "source"."paid_at" < ?)
-- args: ["2023-03-01 00:00:00","2023-04-01 00:00:00"]
