SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."paid_at" IS NOT NULL)
-- args: []
