SELECT "source"."id" AS "id", "source"."date_received" AS "date_received" FROM (SELECT * FROM (SELECT id, account_id, date_received FROM invoices WHERE account_id = ?) AS "view" WHERE ("id" > ?)) AS "source" ORDER BY "source"."id" ASC
-- args: [3,40]
