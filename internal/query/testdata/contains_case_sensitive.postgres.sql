SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."status" LIKE $1 ESCAPE '!')
-- args: ["%AI%"]
