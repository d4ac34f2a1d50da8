SELECT date("source"."date_received", '-' || strftime('%w', "source"."date_received") || ' days') AS "date_received", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC
-- args: []
