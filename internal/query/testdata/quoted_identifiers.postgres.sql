SELECT "source"."select" AS "select", "source"."my ""quoted"" col" AS "my ""quoted"" col", "source"."back`tick" AS "back`tick", "source"."two words" AS "two words" FROM "Order" AS "source" WHERE (("source"."my ""quoted"" col" LIKE $1 ESCAPE '!') OR ("source"."back`tick" = $2)) ORDER BY "source"."select" ASC NULLS FIRST
-- args: ["%'%","a`b"]
