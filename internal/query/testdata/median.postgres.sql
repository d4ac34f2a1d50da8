SELECT percentile_cont($1) WITHIN GROUP (ORDER BY "source"."payment") AS "median", percentile_cont($2) WITHIN GROUP (ORDER BY "source"."payment") AS "percentile" FROM "invoices" AS "source"
-- args: [0.5,0.9]
