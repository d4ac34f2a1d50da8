SELECT "source"."name" AS "name" FROM "accounts" AS "source" WHERE ("source"."country" IS NULL OR "source"."country" = '') ORDER BY "source"."id" ASC
-- args: []
