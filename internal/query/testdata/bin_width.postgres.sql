SELECT (FLOOR(CAST("source"."payment" AS DOUBLE PRECISION) / $1) * $2) AS "payment", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: [50,50]
