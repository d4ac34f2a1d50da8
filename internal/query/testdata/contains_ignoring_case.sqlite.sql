SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."status" LIKE ? ESCAPE '!')
-- args: ["%AI%"]
