import XMapCLI
XMapMain.run()
