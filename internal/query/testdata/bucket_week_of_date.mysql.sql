SELECT DATE_FORMAT(DATE_SUB(`source`.`date_received`, INTERVAL (DAYOFWEEK(`source`.`date_received`) - 1) DAY), '%Y-%m-%d') AS `date_received`, COUNT(*) AS `count` FROM `invoices` AS `source` GROUP BY 1 ORDER BY 1 ASC
-- args: []
