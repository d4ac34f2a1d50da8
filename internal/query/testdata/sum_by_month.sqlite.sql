SELECT strftime('%Y-%m-01', "source"."date_received") AS "date_received", SUM("source"."payment") AS "sum" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC
-- args: []
