from legpress_diag.cli.main import main

main()
