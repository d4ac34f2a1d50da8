SELECT CASE WHEN ("source"."payment" > $1) THEN CAST($2 AS TEXT) ELSE CAST($3 AS TEXT) END AS "Size", COUNT(*) AS "count", MAX(("source"."payment" * CAST($4 AS BIGINT))) AS "max" FROM "invoices" AS "source" WHERE (("source"."payment" * CAST($5 AS BIGINT)) > $6) GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: [100,"big","small",2,2,30]
