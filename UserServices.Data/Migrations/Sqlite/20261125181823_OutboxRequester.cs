using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UserServices.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OutboxRequester : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RequesterIp",
                table: "MailOutbox",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequesterUserAgent",
                table: "MailOutbox",
                type: "TEXT",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RequesterIp",
                table: "MailOutbox");

            migrationBuilder.DropColumn(
                name: "RequesterUserAgent",
                table: "MailOutbox");
        }
    }
}
