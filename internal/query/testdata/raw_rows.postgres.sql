SELECT "source"."id" AS "id", "source"."account_id" AS "account_id", "source"."payment" AS "payment", "source"."date_received" AS "date_received", "source"."status" AS "status", "source"."paid_at" AS "paid_at" FROM "invoices" AS "source" ORDER BY "source"."id" ASC NULLS FIRST LIMIT $1
-- args: [5]
