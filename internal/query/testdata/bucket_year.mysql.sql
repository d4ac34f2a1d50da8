SELECT DATE_FORMAT(`source`.`date_received`, '%Y-01-01') AS `date_received`, COUNT(*) AS `count` FROM `invoices` AS `source` GROUP BY 1 ORDER BY 1 ASC
-- args: []
