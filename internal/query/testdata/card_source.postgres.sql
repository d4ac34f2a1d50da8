SELECT "source"."account_id" AS "account_id", "source"."sum" AS "sum", "source"."count" AS "count" FROM (SELECT "source"."account_id" AS "account_id", SUM("source"."payment") AS "sum", COUNT(*) AS "count" FROM "invoices" AS "source" GROUP BY 1 ORDER BY 1 ASC NULLS FIRST) AS "source" WHERE ("source"."sum" > $1) ORDER BY "source"."account_id" ASC NULLS FIRST
-- args: [700]
