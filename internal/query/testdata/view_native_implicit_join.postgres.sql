SELECT "accounts__via__account_id"."name" AS "name", COUNT(*) AS "count" FROM (SELECT * FROM (SELECT id, account_id, date_received FROM invoices WHERE account_id = $1) AS "view") AS "source" LEFT JOIN "accounts" AS "accounts__via__account_id" ON "source"."account_id" = "accounts__via__account_id"."id" GROUP BY 1 ORDER BY 1 ASC NULLS FIRST
-- args: [3]
