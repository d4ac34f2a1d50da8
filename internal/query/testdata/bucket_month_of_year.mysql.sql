SELECT MONTH(`source`.`date_received`) AS `date_received`, COUNT(*) AS `count` FROM `invoices` AS `source` GROUP BY 1 ORDER BY 1 ASC
-- args: []
