SELECT "source"."id" AS "id", "source"."account_id" AS "account_id", "source"."date_received" AS "date_received", "source"."status" AS "status", "source"."paid_at" AS "paid_at" FROM (SELECT * FROM "invoices" WHERE ("account_id" = CAST($1 AS BIGINT))) AS "source" ORDER BY "source"."id" ASC NULLS FIRST LIMIT $2
-- args: [3,2]
