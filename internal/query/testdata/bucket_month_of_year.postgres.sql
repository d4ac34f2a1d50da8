SELECT CAST(EXTRACT(MONTH FROM CAST("source"."date_received" AS TIMESTAMP)) AS INTEGER) AS "date_received", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: []
