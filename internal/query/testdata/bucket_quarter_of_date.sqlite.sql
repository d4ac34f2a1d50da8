SELECT date("source"."date_received", 'start of month', '-' || ((CAST(strftime('%m', "source"."date_received") AS INTEGER) - 1) % 3) || ' months') AS "date_received", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC
-- args: []
