SELECT DATE_FORMAT(`source`.`date_received`, '%Y-%m-01') AS `date_received`, SUM(`source`.`payment`) AS `sum` FROM `invoices` AS `source` GROUP BY 1 ORDER BY 1 ASC
-- args: []
