SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE (("source"."status" GLOB ?) OR ("source"."status" LIKE ? ESCAPE '!') OR ("source"."status" GLOB ?) OR ("source"."status" GLOB ?))
-- args: ["*%*","%!_%","[*]*","*!"]
