SELECT COUNT(*) AS "count" FROM (SELECT * FROM (SELECT id, account_id, date_received FROM invoices WHERE account_id = ?) AS "view") AS "source"
-- args: [3]
