SELECT (FLOOR(CAST("source"."payment" AS REAL) / ?) * ?) AS "payment", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC
-- args: [50,50]
