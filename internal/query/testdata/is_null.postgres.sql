SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."payment" IS NULL)
-- args: []
