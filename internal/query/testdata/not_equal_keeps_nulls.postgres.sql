SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."status" <> $1 OR "source"."status" IS NULL)
-- args: ["Paid"]
