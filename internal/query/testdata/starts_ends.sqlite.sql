SELECT "source"."name" AS "name" FROM "accounts" AS "source" WHERE (("source"."name" LIKE ? ESCAPE '!') OR ("source"."name" GLOB ?)) ORDER BY "source"."name" ASC
-- args: ["c%","*o"]
