SELECT to_char(date_trunc('month', CAST("source"."two words" AS TIMESTAMP)), 'YYYY-MM-DD') AS "two words", COUNT(*) AS "count" FROM "Order" AS "source" GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: []
