SELECT to_char(date_trunc('day', CAST("source"."date_received" AS TIMESTAMP)) - CAST(EXTRACT(DOW FROM CAST("source"."date_received" AS TIMESTAMP)) AS INTEGER) * INTERVAL '1 day', 'YYYY-MM-DD') AS "date_received", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: []
