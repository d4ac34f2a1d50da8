SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE ("source"."status" ILIKE $1 ESCAPE '!')
-- args: ["%AI%"]
