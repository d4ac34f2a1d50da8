SELECT "source"."country" AS "country", COUNT(*) AS "count" FROM "accounts" AS "source" WHERE ("source"."country" IS NOT NULL AND "source"."country" <> '') GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: []
