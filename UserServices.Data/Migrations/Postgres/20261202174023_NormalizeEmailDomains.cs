using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace UserServices.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class NormalizeEmailDomains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "EmailCollidesWithId",
                table: "Users",
                type: "integer",
                nullable: true);

            // Only an address with a non-ASCII character (more bytes than characters) can get another key under
            // UTS #46; its key is cleared here and computed after the migration by EmailKeyUpgrade (SQL cannot map
            // domains), which also keeps and marks two accounts that turn out to share a mailbox.
            migrationBuilder.Sql("UPDATE \"Users\" SET \"NormalizedEmail\" = NULL WHERE octet_length(\"Email\") <> char_length(\"Email\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to Identity's key (upper case) for the addresses the upgrade re-keyed.
            migrationBuilder.Sql("UPDATE \"Users\" SET \"NormalizedEmail\" = UPPER(\"Email\") WHERE octet_length(\"Email\") <> char_length(\"Email\");");

            migrationBuilder.DropColumn(
                name: "EmailCollidesWithId",
                table: "Users");
        }
    }
}
