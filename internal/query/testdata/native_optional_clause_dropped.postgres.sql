SELECT count(*) AS n FROM invoices WHERE status = $1 
-- args: ["Paid"]
