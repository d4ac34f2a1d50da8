SELECT "source"."id" AS "id", "source"."date_received" AS "date_received" FROM (SELECT * FROM (SELECT id, account_id, date_received FROM invoices WHERE account_id = $1) AS "view" WHERE ("id" > CAST($2 AS BIGINT))) AS "source" ORDER BY "source"."id" ASC NULLS FIRST
-- args: [3,40]
