SELECT COUNT(*) AS "count" FROM "invoices" AS "source" WHERE (("source"."status" LIKE $1 ESCAPE '!') OR ("source"."status" ILIKE $2 ESCAPE '!') OR ("source"."status" LIKE $3 ESCAPE '!') OR ("source"."status" LIKE $4 ESCAPE '!'))
-- args: ["%!%%","%!_%","*%","%!!"]
