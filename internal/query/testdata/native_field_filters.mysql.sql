SELECT count(*) AS n FROM invoices WHERE (`invoices`.`status` IN (?, ?)) AND (`invoices`.`date_received` >= ? AND `invoices`.`date_received` < ?) AND 1 = 1
-- args: ["Paid","Open","2023-03-01","2024-01-01"]
