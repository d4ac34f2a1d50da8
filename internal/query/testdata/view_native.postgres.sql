SELECT COUNT(*) AS "count" FROM (SELECT * FROM (SELECT id, account_id, date_received FROM invoices WHERE account_id = $1) AS "view") AS "source"
-- args: [3]
