SELECT CASE WHEN ("source"."payment" > ?) THEN ? ELSE ? END AS "Size", COUNT(*) AS "count", MAX(("source"."payment" * ?)) AS "max" FROM "invoices" AS "source" WHERE (("source"."payment" * ?) > ?) GROUP BY 1 ORDER BY 1 ASC
-- args: [100,"big","small",2,2,30]
