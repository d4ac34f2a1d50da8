SELECT "source"."name" AS "name" FROM "accounts" AS "source" WHERE (("source"."name" ILIKE $1 ESCAPE '!') OR ("source"."name" LIKE $2 ESCAPE '!')) ORDER BY "source"."name" ASC NULLS FIRST
-- args: ["c%","%o"]
