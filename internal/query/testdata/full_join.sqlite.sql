SELECT COUNT(*) AS "count" FROM "plans" AS "source" FULL JOIN "accounts" AS "A" ON ("source"."id" = "A"."plan_id")
-- args: []
