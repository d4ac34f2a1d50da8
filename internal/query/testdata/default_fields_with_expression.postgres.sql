SELECT "source"."id" AS "id", "source"."name" AS "name", "source"."price" AS "price", ("source"."price" * CAST($1 AS BIGINT)) AS "Yearly" FROM "plans" AS "source" ORDER BY "source"."price" DESC NULLS LAST
-- args: [12]
