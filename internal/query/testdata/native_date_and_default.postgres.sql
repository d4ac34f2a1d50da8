SELECT count(*) AS n FROM invoices WHERE date_received >= $1 AND account_id IN ($2, $3, $4)
-- args: ["2024-01-01",1,2,3]
