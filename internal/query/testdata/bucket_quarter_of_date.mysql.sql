SELECT CONCAT(YEAR(`source`.`date_received`), '-', LPAD(QUARTER(`source`.`date_received`) * 3 - 2, 2, '0'), '-01') AS `date_received`, COUNT(*) AS `count` FROM `invoices` AS `source` GROUP BY 1 ORDER BY 1 ASC
-- args: []
