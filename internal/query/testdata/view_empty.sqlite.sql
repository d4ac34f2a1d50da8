SELECT COUNT(*) AS "count" FROM (SELECT * FROM "invoices" WHERE 1 = 0) AS "source"
-- args: []
