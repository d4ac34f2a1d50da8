SELECT "source"."status" AS "status", COUNT(*) AS "count" FROM "invoices" AS "source" WHERE (("source"."status" IN ($1, $2)) AND ("source"."account_id" NOT IN (CAST($3 AS BIGINT), CAST($4 AS BIGINT)) OR "source"."account_id" IS NULL)) GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: ["Paid","Open",1,2]
