SELECT "source"."id" AS "id", "source"."account_id" AS "account_id", "source"."date_received" AS "date_received", "source"."status" AS "status", "source"."paid_at" AS "paid_at" FROM (SELECT * FROM "invoices" WHERE ("account_id" = ?)) AS "source" ORDER BY "source"."id" ASC LIMIT ?
-- args: [3,2]
